import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth/AuthProvider';
import { Layout } from './components/Layout';
import { Aging } from './pages/Aging';
import { CustomerPage } from './pages/CustomerPage';
import { CustomerStatement } from './pages/CustomerStatement';
import { Customers } from './pages/Customers';
import { Dashboard } from './pages/Dashboard';
import { Exports } from './pages/Exports';
import { InvoiceEditor } from './pages/InvoiceEditor';
import { InvoiceList } from './pages/InvoiceList';
import { InvoicePage } from './pages/InvoicePage';
import { NotFound } from './pages/NotFound';
import { Payments } from './pages/Payments';
import { Settings } from './pages/Settings';
import { SignIn, SignUp } from './pages/SignIn';

/** Signed-out visitors go to sign-in, which brings them back here afterwards (`next`). */
function RequireAuth({ children }: { children: JSX.Element }) {
  const { signedIn } = useAuth();
  const location = useLocation();
  if (!signedIn) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return children;
}

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignIn />} />
      <Route path="/sign-up" element={<SignUp />} />
      <Route
        element={
          <RequireAuth>
            <Layout />
          </RequireAuth>
        }
      >
        <Route index element={<Dashboard />} />
        <Route path="invoices" element={<InvoiceList />} />
        <Route path="invoices/new" element={<InvoiceEditor />} />
        <Route path="invoices/:id" element={<InvoicePage />} />
        <Route path="invoices/:id/edit" element={<InvoiceEditor />} />
        <Route path="customers" element={<Customers />} />
        <Route path="customers/new" element={<CustomerPage />} />
        <Route path="customers/:id" element={<CustomerPage />} />
        <Route path="customers/:id/statement" element={<CustomerStatement />} />
        <Route path="payments" element={<Payments />} />
        <Route path="reports/aging" element={<Aging />} />
        <Route path="reports/exports" element={<Exports />} />
        <Route path="settings" element={<Settings />} />
        <Route path="*" element={<NotFound />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
