import { useEffect, useRef, type ReactNode } from 'react';

/** An area's title; focus moves to it on arrival so keyboard and screen-reader users know where they are. */
export function AreaHeader({ title, children }: { title: string; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <header className="area-header">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children !== undefined && <p className="lead">{children}</p>}
    </header>
  );
}

/** What an area that is not built yet says, plainly, instead of pretending. */
export function ComingNext({ items }: { items: string[] }) {
  return (
    <section className="panel coming-next" aria-label="Coming next">
      <h2>Coming in the next release</h2>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </section>
  );
}
