/**
 * Campaigns: reach the right customers over SMS, WhatsApp and email, with their consent. Tabs for
 * the campaigns and their results, a new campaign, segments, templates, automations and the
 * sending settings.
 */
import { NavLink, Navigate, Route, Routes } from 'react-router';
import { AreaHeader } from '../components/AreaHeader';
import { Automations } from './campaigns/Automations';
import { CampaignList } from './campaigns/CampaignList';
import { CampaignResultsView } from './campaigns/CampaignResults';
import { NewCampaign } from './campaigns/NewCampaign';
import { SegmentBuilder, SegmentList } from './campaigns/Segments';
import { SenderSettings } from './campaigns/SenderSettings';
import { TemplateEditor, TemplateList } from './campaigns/Templates';
import '../campaigns.css';

const TABS = [
  { to: '/campaigns', label: 'All campaigns', end: true },
  { to: '/campaigns/new', label: 'New campaign', end: false },
  { to: '/campaigns/segments', label: 'Segments', end: false },
  { to: '/campaigns/templates', label: 'Templates', end: false },
  { to: '/campaigns/automations', label: 'Automations', end: false },
  { to: '/campaigns/settings', label: 'Sending settings', end: false },
];

export function CampaignsArea() {
  return (
    <>
      <AreaHeader title="Campaigns">
        Reach the right customers over SMS, WhatsApp and email, with their consent.
      </AreaHeader>
      <nav className="tabs" aria-label="Campaigns">
        {TABS.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end}>
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<CampaignList />} />
        <Route path="new" element={<NewCampaign />} />
        <Route path="segments" element={<SegmentList />} />
        <Route path="segments/new" element={<SegmentBuilder />} />
        <Route path="segments/:id" element={<SegmentBuilder />} />
        <Route path="templates" element={<TemplateList />} />
        <Route path="templates/new" element={<TemplateEditor />} />
        <Route path="templates/:id" element={<TemplateEditor />} />
        <Route path="automations" element={<Automations />} />
        <Route path="settings" element={<SenderSettings />} />
        <Route path=":id" element={<CampaignResultsView />} />
        <Route path="*" element={<Navigate to="/campaigns" replace />} />
      </Routes>
    </>
  );
}
