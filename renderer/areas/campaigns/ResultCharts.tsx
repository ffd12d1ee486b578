/**
 * The two charts of a campaign's results, drawn with recharts: delivered and failed per network,
 * and sent, delivered and failed hour by hour. Loaded only when results are opened, so recharts
 * stays out of the bundle every other screen starts with. The tables beside them carry the same
 * figures for screen readers, so the drawings themselves are hidden from them.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CampaignResults } from '../../../shared/contract';
import { lagosDay } from '../../../shared/lagos-time';
import { shopDateTime, shopTime } from '../sync/time';

const HOUR_MS = 3_600_000;
const COLOURS = { delivered: '#0b6e4f', failed: '#a61b1b', undeliverable: '#8a6400', sent: '#153e75' };

export default function ResultCharts({
  perCarrier,
  timeline,
}: {
  perCarrier: CampaignResults['perCarrier'];
  timeline: CampaignResults['timeline'];
}) {
  const carriers = perCarrier.map((row) => ({
    carrier: row.carrier === 'others' ? 'Other' : row.carrier === 'email' ? 'Email' : row.carrier,
    delivered: row.tally.delivered,
    failed: row.tally.failed,
    undeliverable: row.tally.undeliverable,
    waiting: row.tally.sent,
  }));
  const oneDay =
    timeline.length === 0 || lagosDay(timeline[0]?.at ?? 0) === lagosDay(timeline.at(-1)?.at ?? 0);
  return (
    <div className="campaign-charts">
      <figure className="campaign-chart" data-testid="carrier-chart">
        <figcaption>Per network</figcaption>
        <div aria-hidden="true">
          <ResponsiveContainer width="100%" height={260}>
            <BarChart
              data={carriers}
              accessibilityLayer={false}
              margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
            >
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="carrier" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar
                dataKey="delivered"
                name="Delivered"
                stackId="a"
                fill={COLOURS.delivered}
                isAnimationActive={false}
              />
              <Bar
                dataKey="failed"
                name="Failed"
                stackId="a"
                fill={COLOURS.failed}
                isAnimationActive={false}
              />
              <Bar
                dataKey="undeliverable"
                name="Undeliverable"
                stackId="a"
                fill={COLOURS.undeliverable}
                isAnimationActive={false}
              />
              <Bar
                dataKey="waiting"
                name="No report yet"
                stackId="a"
                fill={COLOURS.sent}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className="campaign-chart" data-testid="timeline-chart">
        <figcaption>Hour by hour (Lagos time)</figcaption>
        {timeline.length === 0 ? (
          <p className="muted">Nothing has gone out yet.</p>
        ) : (
          <div aria-hidden="true">
            <ResponsiveContainer width="100%" height={260}>
              <LineChart
                data={timeline}
                accessibilityLayer={false}
                margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  dataKey="at"
                  type="number"
                  scale="time"
                  // An hour either side, so a send that fits in one hour is a point mid-chart.
                  domain={[(min: number) => min - HOUR_MS, (max: number) => max + HOUR_MS]}
                  tickFormatter={(at: number) => (oneDay ? shopTime(at) : shopDateTime(at))}
                />
                <YAxis allowDecimals={false} />
                <Tooltip labelFormatter={(at) => shopDateTime(Number(at))} />
                <Legend />
                <Line
                  dataKey="sent"
                  name="Sent"
                  stroke={COLOURS.sent}
                  strokeWidth={2}
                  isAnimationActive={false}
                />
                <Line
                  dataKey="delivered"
                  name="Delivered"
                  stroke={COLOURS.delivered}
                  strokeWidth={2}
                  isAnimationActive={false}
                />
                <Line
                  dataKey="failed"
                  name="Failed"
                  stroke={COLOURS.failed}
                  strokeWidth={2}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          </div>
        )}
      </figure>
    </div>
  );
}
