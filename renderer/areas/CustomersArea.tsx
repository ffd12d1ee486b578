import { Route, Routes } from 'react-router';
import { CustomerBook } from './customers/CustomerBook';
import { CustomerForm } from './customers/CustomerForm';
import { CustomerProfile } from './customers/CustomerProfile';
import { ImportWizard } from './customers/ImportWizard';
import '../customers.css';

export function CustomersArea() {
  return (
    <Routes>
      <Route index element={<CustomerBook />} />
      <Route path="new" element={<CustomerForm />} />
      <Route path="import" element={<ImportWizard />} />
      <Route path=":id" element={<CustomerProfile />} />
      <Route path=":id/edit" element={<CustomerForm />} />
    </Routes>
  );
}
