import { Link } from 'react-router-dom';
import { PageHeader } from '../components/ui';

export function NotFound() {
  return (
    <div>
      <PageHeader title="Page not found" subtitle="There is nothing at this address." />
      <Link to="/" className="font-medium text-brand-700 underline">Back to the dashboard</Link>
    </div>
  );
}
