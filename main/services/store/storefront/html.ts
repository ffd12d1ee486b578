/**
 * Safe HTML for the storefront: a tagged template (`markup`, not `html`, so the formatter leaves
 * the generated markup as written) that escapes every interpolated value unless it
 * is already `Html`, so a product called `<b>"Mama's" & Co</b>` prints as text in an element or
 * a quoted attribute alike. JSON for inline scripts is escaped so no value can close the script.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlPart = Html | string | number | null | undefined | false | readonly HtmlPart[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

function render(part: HtmlPart): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (typeof part === 'number') return String(part);
  if (typeof part === 'string') return escapeHtml(part);
  return part.map(render).join('');
}

export function markup(strings: TemplateStringsArray, ...parts: HtmlPart[]): Html {
  let out = strings[0] ?? '';
  parts.forEach((part, index) => {
    out += render(part) + (strings[index + 1] ?? '');
  });
  return new Html(out);
}

/** Markup made by this generator itself (never text from the owner or the catalogue). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

export function join(parts: readonly HtmlPart[], separator = ''): Html {
  return new Html(parts.map(render).join(separator));
}

/** JSON that is safe inside `<script type="application/json">`: no `<`, `>` or `&` in it. */
export function scriptJson(value: unknown): Html {
  return new Html(
    JSON.stringify(value)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
}

const URL_PATTERN = /https:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;

/** One paragraph's text with its line breaks kept and its https addresses as links. */
function inline(text: string): Html {
  const lines = text.split('\n').map((line) => {
    const parts: HtmlPart[] = [];
    let last = 0;
    for (const match of line.matchAll(URL_PATTERN)) {
      parts.push(line.slice(last, match.index), markup`<a href="${match[0]}">${match[0]}</a>`);
      last = match.index + match[0].length;
    }
    parts.push(line.slice(last));
    return join(parts);
  });
  return join(lines, '<br>\n');
}

/**
 * The owner's plain text as HTML: `# ` lines are headings (`## ` smaller), runs of `- ` lines
 * are lists, blank lines split paragraphs. `headingLevel` is the level of a `# ` heading.
 */
export function plainTextHtml(text: string, headingLevel = 2): Html {
  const blocks: Html[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push(markup`<p>${inline(paragraph.join('\n'))}</p>`);
    if (list.length > 0)
      blocks.push(markup`<ul>${list.map((item) => markup`<li>${inline(item)}</li>`)}</ul>`);
    paragraph = [];
    list = [];
  };
  for (const rawLine of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = rawLine.trim();
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (line === '') flush();
    else if (heading !== null) {
      flush();
      const level = Math.min(6, headingLevel + (heading[1] ?? '#').length - 1);
      blocks.push(markup`<h${level}>${heading[2] ?? ''}</h${level}>`);
    } else if (/^[-*]\s+/.test(line)) {
      if (paragraph.length > 0) flush();
      list.push(line.replace(/^[-*]\s+/, ''));
    } else {
      if (list.length > 0) flush();
      paragraph.push(line);
    }
  }
  flush();
  return join(blocks, '\n');
}
