/**
 * A Slack message as a person sees it, in HTML close enough to Slack's own rendering for a picture: the app's
 * name and time, header blocks, the attachment's colour bar, sections in mrkdwn (links, *bold*, _italic_,
 * `code`, emoji), two-column fields, small grey context lines and link buttons. It renders the payload the code
 * posts (`slack-message.ts`), nothing else, so the pictures in the docs cannot drift from the messages.
 */
import type { SlackBlock, SlackPayload, SlackText } from '../../functions/notify/slack-message.ts';

/** The emoji the messages use, as the characters Slack shows for them. */
const EMOJI: Record<string, string> = {
  ':rotating_light:': '🚨',
  ':warning:': '⚠️',
  ':information_source:': 'ℹ️',
  ':white_check_mark:': '✅',
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => HTML_ESCAPES[character] ?? character);
}

function emoji(html: string): string {
  return html.replace(/:[a-z_]+:/g, (code) => EMOJI[code] ?? code);
}

/** *bold*, _italic_ and newlines of a piece of mrkdwn without links or code (Slack's escapes kept as they are). */
function inline(text: string): string {
  return emoji(
    text
      .replace(/(^|[\s(•·])\*([^*\n]+)\*(?=$|[\s.,;:)!?])/g, '$1<b>$2</b>')
      .replace(/(^|[\s(•·])_([^_\n]+)_(?=$|[\s.,;:)!?])/g, '$1<i>$2</i>')
      .replaceAll('\n', '<br>'),
  );
}

/**
 * Slack's mrkdwn as HTML. Its text is already escaped the way Slack wants (`&amp;`, `&lt;`, `&gt;`), which HTML
 * reads the same way; the only `<` left open start links (`<url|label>`).
 */
export function mrkdwnToHtml(text: string): string {
  const pieces = text.split(/(<[^<>|]+\|[^<>]+>|`[^`\n]*`)/g);
  return pieces
    .map((piece) => {
      const link = /^<([^<>|]+)\|([^<>]+)>$/.exec(piece);
      if (link) return `<a href="${escapeHtml(link[1] ?? '')}">${link[2] ?? ''}</a>`;
      if (/^`[^`\n]*`$/.test(piece)) return `<code>${piece.slice(1, -1)}</code>`;
      return inline(piece);
    })
    .join('');
}

/** Slack reads `&amp;`, `&lt;` and `&gt;` in plain text too: the code escapes them, HTML reads them the same way. */
function plainHtml(text: string): string {
  return emoji(text.replaceAll('<', '&lt;').replaceAll('>', '&gt;'));
}

function textHtml(text: SlackText): string {
  return text.type === 'mrkdwn' ? mrkdwnToHtml(text.text) : plainHtml(text.text);
}

export function blockHtml(block: SlackBlock): string {
  switch (block.type) {
    case 'header':
      return `<div class="header">${textHtml(block.text)}</div>`;
    case 'context':
      return `<div class="context">${block.elements.map(textHtml).join(' ')}</div>`;
    case 'actions':
      return `<div class="actions">${block.elements
        .map(
          (button) =>
            `<a class="button${button.style ? ` ${button.style}` : ''}" href="${escapeHtml(button.url)}">${plainHtml(button.text.text)}</a>`,
        )
        .join('')}</div>`;
    case 'section':
      if ('fields' in block) {
        return `<div class="fields">${block.fields.map((field) => `<div class="field">${textHtml(field)}</div>`).join('')}</div>`;
      }
      return `<div class="section">${textHtml(block.text)}</div>`;
  }
}

const STYLE = `
  body { margin: 0; background: #ffffff; font-family: 'Lato', 'Liberation Sans', 'DejaVu Sans', sans-serif;
         color: #1d1c1d; font-size: 15px; line-height: 1.46668; }
  .message { display: flex; gap: 8px; padding: 12px 20px 14px; width: 760px; box-sizing: border-box; }
  .avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; background: #0f3d63; color: #fff;
            font-weight: 700; font-size: 13px; display: flex; align-items: center; justify-content: center; }
  .body { flex: 1; min-width: 0; }
  .meta { display: flex; align-items: baseline; gap: 6px; }
  .name { font-weight: 900; }
  .app { font-size: 10px; font-weight: 700; color: #616061; background: #e8e8e8; border-radius: 2px; padding: 0 3px; }
  .time { font-size: 12px; color: #616061; }
  .header { font-size: 18px; font-weight: 900; margin: 4px 0 6px; }
  .attachment { border-left: 4px solid #ddd; border-radius: 4px 0 0 4px; padding: 2px 0 2px 12px; margin-top: 4px; }
  .attachment > div { margin: 6px 0; }
  .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; }
  .context { font-size: 12px; color: #616061; }
  code { font-family: 'DejaVu Sans Mono', monospace; font-size: 12px; color: #e01e5a; background: #f6f6f6;
         border: 1px solid #dddddd; border-radius: 3px; padding: 1px 3px; }
  a { color: #1264a3; text-decoration: none; }
  .actions { display: flex; gap: 8px; }
  .button { display: inline-block; font-size: 14px; font-weight: 700; color: #1d1c1d; border: 1px solid #bbbbbb;
            border-radius: 4px; padding: 4px 12px; }
  .button.primary { background: #007a5a; color: #ffffff; border-color: #007a5a; }
`;

/** The whole page: one Slack message, as the app posts it at `time`. */
export function slackMessageHtml(payload: SlackPayload, time: string): string {
  const attachments = payload.attachments
    .map(
      (attachment) =>
        `<div class="attachment" style="border-left-color: ${escapeHtml(attachment.color)}">${attachment.blocks.map(blockHtml).join('')}</div>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${STYLE}</style></head><body>
<div class="message"><div class="avatar">EA</div><div class="body">
<div class="meta"><span class="name">expiry-alerts</span><span class="app">APP</span><span class="time">${escapeHtml(time)}</span></div>
${payload.blocks.map(blockHtml).join('')}${attachments}
</div></div></body></html>`;
}
