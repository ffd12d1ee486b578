/** The frame around every area: the navigation (Alt+1…6 from anywhere) and the routed area. */
import { useEffect } from 'react';
import { HashRouter, NavLink, Navigate, Route, Routes, useNavigate } from 'react-router';
import { formatNationalPhone, parseNigerianPhone } from '../../shared/phone';
import { AREAS } from '../areas/areas';
import { SyncIndicator } from '../areas/sync/SyncIndicator';
import { useAppStore } from '../state/app-store';

function KeyboardNavigation() {
  const navigate = useNavigate();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const area = AREAS[Number(event.key) - 1];
      if (area === undefined) return;
      event.preventDefault();
      void navigate(area.path);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);
  return null;
}

export function Shell() {
  const business = useAppStore((state) => state.business);
  const phone = business === null ? null : parseNigerianPhone(business.phone);
  return (
    <HashRouter>
      <KeyboardNavigation />
      <div className="shell">
        <nav className="sidebar" aria-label="Areas">
          <div className="brand">
            <strong>Kasuwa</strong>
            {business !== null && <span className="brand-shop">{business.name}</span>}
            {phone?.ok === true && <span className="muted">{formatNationalPhone(phone.national)}</span>}
          </div>
          <ul>
            {AREAS.map((area, index) => (
              <li key={area.path}>
                <NavLink to={area.path} aria-keyshortcuts={`Alt+${index + 1}`}>
                  <span>
                    {area.title}
                    {area.path === '/sync' && <SyncIndicator />}
                  </span>
                  <kbd>Alt+{index + 1}</kbd>
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main className="area" id="main">
          <Routes>
            {AREAS.map((area) => (
              <Route key={area.path} path={`${area.path}/*`} element={<area.Component />} />
            ))}
            <Route path="*" element={<Navigate to="/sell" replace />} />
          </Routes>
        </main>
      </div>
    </HashRouter>
  );
}
