import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, Navigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { LIMITS } from '../api/limits';
import { useAuth } from '../auth/AuthProvider';
import { ErrorPanel } from '../components/feedback';
import { Button, Field, Input } from '../components/ui';
import { applyFieldErrors } from '../lib/forms';
import { signInSchema, signUpSchema } from '../lib/validation';

interface Credentials {
  email: string;
  password: string;
}

/** Where to go after signing in: the page the visitor came from, if it is one of ours. */
function useNext(): string {
  const [params] = useSearchParams();
  const next = params.get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function AuthPage({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const auth = useAuth();
  const next = useNext();
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<Credentials>({
    resolver: zodResolver(mode === 'sign-in' ? signInSchema : signUpSchema),
    defaultValues: { email: '', password: '' },
  });
  const { errors, isSubmitting } = form.formState;

  if (auth.signedIn) return <Navigate to={next} replace />;

  const submit = form.handleSubmit(async ({ email, password }) => {
    setFailure(null);
    try {
      if (mode === 'sign-in') await auth.signIn(email.trim(), password);
      else await auth.signUp(email.trim(), password);
    } catch (error) {
      if (error instanceof ApiError && mode === 'sign-up' && error.status === 409) {
        form.setError('email', { type: 'server', message: 'An account with this e-mail address already exists. Sign in instead.' }, { shouldFocus: true });
      } else if (!applyFieldErrors(error, form.setError)) {
        setFailure(error);
      }
    }
  });

  const signingIn = mode === 'sign-in';
  const other = `${signingIn ? '/sign-up' : '/sign-in'}${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`;
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-brand-50 via-white to-slate-100 px-4 py-12">
      <div className="w-full max-w-md">
        <div className="mb-8 flex flex-col items-center text-center">
          <img src="/favicon.svg" alt="" className="h-12 w-12" />
          <h1 className="mt-4 text-2xl font-bold tracking-tight text-slate-900" tabIndex={-1}>
            {signingIn ? 'Sign in to Invoicing' : 'Create your account'}
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            {signingIn ? 'Invoices, payments and reminders in one place.' : 'Send your first invoice in a minute.'}
          </p>
        </div>
        <form onSubmit={submit} noValidate className="space-y-5 rounded-2xl bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-8">
          {failure !== null && <ErrorPanel error={failure} onRetry={() => void submit()} retrying={isSubmitting} />}
          <Field label="E-mail address" error={errors.email?.message}>
            {(props) => <Input type="email" autoComplete="email" {...props} {...form.register('email')} />}
          </Field>
          <Field
            label="Password"
            error={errors.password?.message}
            hint={signingIn ? undefined : `At least ${LIMITS.passwordMin} characters. A few words you will remember work well.`}
          >
            {(props) => (
              <Input type="password" autoComplete={signingIn ? 'current-password' : 'new-password'} {...props} {...form.register('password')} />
            )}
          </Field>
          <Button type="submit" variant="primary" busy={isSubmitting} className="w-full">
            {signingIn ? 'Sign in' : 'Create account'}
          </Button>
        </form>
        <p className="mt-6 text-center text-sm text-slate-600">
          {signingIn ? 'New here? ' : 'Already have an account? '}
          <Link to={other} className="font-semibold text-brand-700 hover:underline">
            {signingIn ? 'Create an account' : 'Sign in'}
          </Link>
        </p>
      </div>
    </main>
  );
}

export function SignIn() {
  return <AuthPage mode="sign-in" />;
}

export function SignUp() {
  return <AuthPage mode="sign-up" />;
}
