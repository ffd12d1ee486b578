import { NavLink, Route, Routes } from 'react-router';
import { AreaHeader } from '../components/AreaHeader';
import { EndOfDay, Reports, RiskQueue } from './sell/Books';
import { Products } from './sell/Products';
import { SaleView, SalesList } from './sell/Sales';
import { Till } from './sell/Till';
import '../sell.css';

const TABS = [
  { to: '/sell', label: 'Till', end: true },
  { to: '/sell/sales', label: 'Sales', end: false },
  { to: '/sell/products', label: 'Products', end: false },
  { to: '/sell/day', label: 'End of day', end: false },
  { to: '/sell/reports', label: 'Reports', end: false },
  { to: '/sell/risk', label: 'Risk review', end: false },
];

export function SellArea() {
  return (
    <>
      <AreaHeader title="Sell" />
      <nav className="tabs no-print" aria-label="Sell">
        {TABS.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end}>
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<Till />} />
        <Route path="sales" element={<SalesList />} />
        <Route path="sales/:id" element={<SaleView />} />
        <Route path="products" element={<Products />} />
        <Route path="day" element={<EndOfDay />} />
        <Route path="reports" element={<Reports />} />
        <Route path="risk" element={<RiskQueue />} />
      </Routes>
    </>
  );
}
