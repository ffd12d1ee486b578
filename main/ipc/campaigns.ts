/** campaigns:* — segments, templates, cost, campaigns and their results, automations, the sender. */
import type { CampaignServices } from '../services/campaigns/campaign-services';
import type { TillSession } from '../services/sales/till-session';
import type { HandlerTable } from './handler';

type CampaignChannel = Extract<keyof HandlerTable, `campaigns:${string}`>;

export function campaignHandlers(deps: {
  campaigns: () => CampaignServices;
  till: () => TillSession;
}): Pick<HandlerTable, CampaignChannel> {
  const staffId = () => deps.till().current()?.id ?? null;
  const c = () => deps.campaigns();
  return {
    'campaigns:segments': () => c().segments.list(),
    'campaigns:countSegment': ({ definition }) => c().segments.count(definition),
    'campaigns:segmentMembers': ({ segment, offset, limit }) =>
      c().segments.members(segment, { offset, limit }),
    'campaigns:saveSegment': (input) => c().segments.save(input, staffId()),
    'campaigns:deleteSegment': ({ id }) => {
      c().segments.delete(id, staffId());
      return { deleted: true as const };
    },
    'campaigns:templates': () => c().templates.list(),
    'campaigns:saveTemplate': (input) => c().templates.save(input, staffId()),
    'campaigns:deleteTemplate': ({ id }) => {
      c().templates.delete(id, staffId());
      return { deleted: true as const };
    },
    'campaigns:preview': (input) => c().preview(input),
    'campaigns:estimate': (input) => c().campaigns.estimate(input),
    'campaigns:create': (input) => c().campaigns.create(input, staffId()),
    'campaigns:list': (page) => c().campaigns.list(page),
    'campaigns:results': ({ id }) => c().campaigns.results(id),
    'campaigns:messages': (input) => c().campaigns.messages(input),
    'campaigns:cancel': ({ id }) => c().campaigns.cancel(id, staffId()),
    'campaigns:triggers': () => c().campaigns.triggers(),
    'campaigns:setTrigger': (input) => c().campaigns.setTrigger(input, staffId()),
    'campaigns:settings': () => c().settings.get(),
    'campaigns:updateSettings': (patch) => c().updateSettings(patch, staffId()),
    'campaigns:setCredentials': (input) => c().setCredentials(input, staffId()),
    'campaigns:senderStatus': () => c().sender.status(),
  };
}
