/**
 * Store: the shop's online store. One tab builds it (the wizard, saved as the owner types, from
 * business info to launch); the other takes the orders it brings in, with the number waiting.
 */
import { NavLink, Navigate, Route, Routes } from 'react-router';
import { AreaHeader } from '../components/AreaHeader';
import { useStoreScreen, useStoreScreenWatch } from '../state/store-store';
import { OnlineOrders } from './store/OnlineOrders';
import { StoreWizard } from './store/StoreWizard';
import { count } from './sync/words';
import '../store.css';

export function StoreArea() {
  useStoreScreenWatch();
  const pending = useStoreScreen((state) => state.pendingOrders);
  return (
    <>
      <AreaHeader title="Store">
        Build and publish your online store, and take its orders at the counter.
      </AreaHeader>
      <nav className="tabs" aria-label="Store">
        <NavLink to="/store" end>
          Build your store
        </NavLink>
        <NavLink to="/store/orders">
          Online orders
          {pending > 0 && (
            <span className="store-count-badge" data-testid="store-pending-orders">
              {count(pending)}
              <span className="store-visually-hidden"> pending</span>
            </span>
          )}
        </NavLink>
      </nav>
      <Routes>
        <Route index element={<StoreWizard />} />
        <Route path="orders" element={<OnlineOrders />} />
        <Route path="*" element={<Navigate to="/store" replace />} />
      </Routes>
    </>
  );
}
