import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { useMe } from '../api/queries';
import { useAuth } from '../auth/AuthProvider';
import { cx } from './ui';

const links = [
  { to: '/', label: 'Dashboard', end: true, icon: 'M3 12l9-8 9 8M5 10v10h5v-6h4v6h5V10' },
  { to: '/invoices', label: 'Invoices', end: false, icon: 'M7 3h8l4 4v14H7zM15 3v4h4M10 12h6M10 16h6' },
  { to: '/customers', label: 'Customers', end: false, icon: 'M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 10a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7M21 19v-1a4 4 0 0 0-3-3.9M15.5 3.1a3.5 3.5 0 0 1 0 6.8' },
  { to: '/payments', label: 'Payments', end: false, icon: 'M3 7h18v10H3zM3 11h18M7 15h3' },
  { to: '/reports/aging', label: 'Receivables', end: false, icon: 'M4 20V10M10 20V4M16 20v-7M22 20H2' },
  { to: '/reports/exports', label: 'Exports', end: false, icon: 'M12 3v12M7 10l5 5 5-5M4 21h16' },
  { to: '/settings', label: 'Settings', end: false, icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-1-3-2 .3-1.5-1.5L17 5l-3-1-1 2h-2L10 4 7 5l.5 1.8L6 8.3 4 8 3 11l2 1-2 1 1 3 2-.3 1.5 1.5L7 19l3 1 1-2h2l1 2 3-1-.5-1.8 1.5-1.5 2 .3 1-3z' },
];

function Icon({ path }: { path: string }) {
  return (
    <svg viewBox="0 0 24 24" className="h-5 w-5 shrink-0" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={path} />
    </svg>
  );
}

function Logo() {
  return (
    <span className="flex items-center gap-2 text-lg font-bold tracking-tight text-slate-900">
      <img src="/favicon.svg" alt="" className="h-7 w-7" />
      Invoicing
    </span>
  );
}

export function Layout() {
  const { signOut } = useAuth();
  const me = useMe();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);

  // After navigation, focus moves to the new page's heading, so that keyboard and screen
  // reader users start reading where the content starts. Not on the first page of a visit:
  // there the browser's own start (the skip link first) is what people expect.
  const firstPage = useRef(true);
  useEffect(() => {
    setMenuOpen(false);
    if (firstPage.current) {
      firstPage.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => {
      document.querySelector<HTMLElement>('[data-page-title]')?.focus({ preventScroll: false });
    });
    return () => cancelAnimationFrame(frame);
  }, [location.pathname]);

  const nav = (
    <nav aria-label="Main" className="flex flex-col gap-1">
      {links.map((link) => (
        <NavLink
          key={link.to}
          to={link.to}
          end={link.end}
          className={({ isActive }) =>
            cx(
              'flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium',
              'focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600',
              isActive ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900',
            )
          }
        >
          <Icon path={link.icon} />
          {link.label}
        </NavLink>
      ))}
    </nav>
  );

  const account = (
    <div className="border-t border-slate-200 pt-4">
      <p className="truncate px-3 text-xs text-slate-500" title={me.data?.email}>
        Signed in as
        <span className="block truncate text-sm font-medium text-slate-800">{me.data?.email ?? '…'}</span>
      </p>
      <button
        type="button"
        onClick={() => void signOut()}
        className="mt-2 w-full rounded-lg px-3 py-2 text-left text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        Sign out
      </button>
    </div>
  );

  return (
    <div className="min-h-screen lg:flex">
      <a href="#main" className="sr-only print:hidden focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-lg focus:bg-white focus:px-4 focus:py-2 focus:shadow">
        Skip to content
      </a>
      <aside className="hidden print:!hidden w-64 shrink-0 flex-col justify-between border-r border-slate-200 bg-white px-4 py-6 lg:sticky lg:top-0 lg:flex lg:h-screen">
        <div className="flex flex-col gap-8">
          <div className="px-3"><Logo /></div>
          {nav}
        </div>
        {account}
      </aside>
      <header className="sticky top-0 z-30 flex print:hidden items-center justify-between border-b border-slate-200 bg-white/95 px-4 py-3 backdrop-blur lg:hidden">
        <Logo />
        <button
          type="button"
          aria-expanded={menuOpen}
          aria-controls="mobile-menu"
          onClick={() => setMenuOpen((open) => !open)}
          className="rounded-lg p-2 text-slate-700 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          <span className="sr-only">{menuOpen ? 'Close menu' : 'Open menu'}</span>
          <svg viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
            {menuOpen ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
          </svg>
        </button>
      </header>
      {menuOpen && (
        <div id="mobile-menu" className="print:hidden sticky top-[57px] z-20 border-b border-slate-200 bg-white px-4 py-4 shadow-sm lg:hidden">
          {nav}
          <div className="mt-4">{account}</div>
        </div>
      )}
      <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-10 lg:py-10 print:!p-0">
        <div className="mx-auto max-w-6xl">
          <Outlet />
        </div>
      </main>
    </div>
  );
}
