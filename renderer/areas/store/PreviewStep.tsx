/**
 * Step 6: the real storefront, built from the saved draft and served by this counter on loopback
 * (`store:preview`), in a phone (375 px), tablet (768 px) and desktop (1280 px) frame. Each frame
 * is laid out at its true width and scaled down with a CSS transform to fit the screen, so the
 * store inside lays itself out as it would on that device and stays clickable.
 */
import { useEffect, useRef, useState } from 'react';
import { kasuwa } from '../../bridge';
import { useStoreScreen } from '../../state/store-store';

interface Device {
  id: 'mobile' | 'tablet' | 'desktop';
  label: string;
  width: number;
  height: number;
}

const DEVICES: readonly Device[] = [
  { id: 'mobile', label: 'Phone', width: 375, height: 720 },
  { id: 'tablet', label: 'Tablet', width: 768, height: 1024 },
  { id: 'desktop', label: 'Desktop', width: 1280, height: 800 },
];

type Layout = 'all' | Device['id'];

const GAP_PX = 16;
/** The frame's border, both sides: it sits outside the scaled page. */
const FRAME_BORDER_PX = 4;

/** The width of an element as it is laid out now, kept current as the window is resized. */
function useWidth(element: HTMLElement | null): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (element === null) return;
    const observer = new ResizeObserver((entries) => {
      const entry = entries[0];
      if (entry !== undefined) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return width;
}

/**
 * The frame's sandbox: scripts and forms run (cart and checkout), pop-ups may open (WhatsApp). The
 * preview's own origin is kept only when it differs from this page's, so the store's script can use
 * its storage but can never reach into Kasuwa.
 */
function sandboxFor(url: string): string {
  const own = new URL(url, window.location.href).origin === window.location.origin;
  return ['allow-scripts', 'allow-forms', 'allow-popups', own ? null : 'allow-same-origin']
    .filter((token) => token !== null)
    .join(' ');
}

function PreviewFrame({
  device,
  url,
  scale,
  reload,
}: {
  device: Device;
  url: string;
  scale: number;
  reload: number;
}) {
  return (
    <figure className="store-frame" data-testid={`store-preview-${device.id}`}>
      <figcaption>
        {device.label} · {device.width} px
        {scale < 1 && <span className="muted"> (shown at {Math.round(scale * 100)}%)</span>}
      </figcaption>
      <div
        className="store-frame-box"
        style={{ width: Math.round(device.width * scale), height: Math.round(device.height * scale) }}
      >
        <iframe
          key={reload}
          title={`Store preview at ${device.width} px`}
          src={url}
          width={device.width}
          height={device.height}
          sandbox={sandboxFor(url)}
          referrerPolicy="no-referrer"
          style={{ transform: `scale(${scale})` }}
        />
      </div>
    </figure>
  );
}

export function PreviewStep() {
  const flush = useStoreScreen((state) => state.flush);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [layout, setLayout] = useState<Layout>('all');
  const [reload, setReload] = useState(0);
  const [area, setArea] = useState<HTMLDivElement | null>(null);
  const width = useWidth(area);
  const asked = useRef(false);

  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    // The preview is built from the saved draft: what was just typed is saved first.
    void flush()
      .then(() => kasuwa.store.preview())
      .then((answer) => {
        if (answer.ok) setUrl(answer.value.url);
        else setError(answer.error.message);
      });
  }, [flush]);

  const refresh = () => {
    setError(null);
    void flush()
      .then(() => kasuwa.store.preview())
      .then((answer) => {
        if (answer.ok) {
          setUrl(answer.value.url);
          setReload((count) => count + 1);
        } else {
          setError(answer.error.message);
        }
      });
  };

  const scaleFor = (devices: readonly Device[]) => {
    const pages = devices.reduce((sum, device) => sum + device.width, 0);
    const usable = width - GAP_PX * (devices.length - 1) - FRAME_BORDER_PX * devices.length;
    return usable <= 0 ? 0.25 : Math.min(1, Math.floor((usable / pages) * 1000) / 1000);
  };
  // Side by side: phone and tablet share a row at one scale, the desktop takes the row under them.
  const rows: { devices: readonly Device[]; scale: number }[] =
    layout === 'all'
      ? [DEVICES.slice(0, 2), DEVICES.slice(2)].map((devices) => ({ devices, scale: scaleFor(devices) }))
      : DEVICES.filter((device) => device.id === layout).map((device) => ({
          devices: [device],
          scale: scaleFor([device]),
        }));

  return (
    <div className="store-form">
      <p className="muted">
        This is your store as shoppers will see it, built from what you have saved. Click around, add to the
        cart and try the checkout: orders placed here are test orders.
      </p>
      <div className="store-preview-bar">
        <fieldset className="store-segmented">
          <legend>Show</legend>
          {(
            [
              { id: 'all', label: 'All three' },
              ...DEVICES.map((device) => ({ id: device.id, label: `${device.label} (${device.width} px)` })),
            ] as const
          ).map((option) => (
            <label key={option.id} className={layout === option.id ? 'store-segment-on' : undefined}>
              <input
                type="radio"
                name="store-preview-layout"
                checked={layout === option.id}
                onChange={() => setLayout(option.id)}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={refresh}>
          Reload the preview
        </button>
      </div>
      {error !== null && (
        <p className="notice" role="alert">
          Could not open the preview. {error}
        </p>
      )}
      <div ref={setArea} className="store-preview-area">
        {url === null
          ? error === null && <p aria-busy="true">Building the preview…</p>
          : rows.map((row) => (
              <div key={row.devices.map((device) => device.id).join('-')} className="store-frame-row">
                {row.devices.map((device) => (
                  <PreviewFrame key={device.id} device={device} url={url} scale={row.scale} reload={reload} />
                ))}
              </div>
            ))}
      </div>
    </div>
  );
}
