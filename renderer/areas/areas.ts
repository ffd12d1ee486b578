/** Every area of the app, in the order of the navigation and its Alt+number shortcuts. */
import type { ComponentType } from 'react';
import { CampaignsArea } from './CampaignsArea';
import { CustomersArea } from './CustomersArea';
import { SellArea } from './SellArea';
import { SettingsArea } from './SettingsArea';
import { StoreArea } from './StoreArea';
import { SyncArea } from './SyncArea';

export interface Area {
  path: string;
  title: string;
  Component: ComponentType;
}

export const AREAS: Area[] = [
  { path: '/sell', title: 'Sell', Component: SellArea },
  { path: '/customers', title: 'Customers', Component: CustomersArea },
  { path: '/campaigns', title: 'Campaigns', Component: CampaignsArea },
  { path: '/store', title: 'Store', Component: StoreArea },
  { path: '/sync', title: 'Sync', Component: SyncArea },
  { path: '/settings', title: 'Settings', Component: SettingsArea },
];
