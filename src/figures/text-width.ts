// The one estimate of a text's width, used wherever a label is placed before any browser measures it:
// the figures' margins and label fits, the legend's rows, the export frame's line breaks, the badges.
// The advance widths are DejaVu Sans's (Book and Bold), the widest of the fonts the figures and the
// downloads are drawn in (system-ui, Helvetica, Arial, Liberation Sans, DejaVu Sans): a line that
// fits here fits in any of them. tests/unit/site/text-width.test.ts compares them with the font
// itself, drawn by resvg; the e2e charts test measures the real boxes in Chromium.

/** The characters ' ' to '~', then the others the figures and frames write. */
const CHARS = ` !"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_\`abcdefghijklmnopqrstuvwxyz{|}~→–×’⚠·…—§✕✓↑“”≈−≥←↓µ°±≤`;

// Advance widths in thousandths of an em (rounded up), one per character of CHARS, read from the
// fonts' hmtx tables (DejaVu Sans 2.37, 2048 units an em).
// biome-ignore format: a table, one font a line
const BOOK = [318,401,460,838,637,951,780,275,391,391,500,838,318,361,318,337,637,637,637,637,637,637,637,637,637,637,337,337,838,838,838,531,1000,685,687,699,771,632,576,775,752,295,295,656,558,863,749,788,604,788,695,635,611,732,685,989,686,611,686,391,337,391,838,500,500,613,635,550,635,616,353,635,634,278,278,580,278,975,634,612,635,635,412,521,393,634,592,818,592,592,525,637,337,637,838,838,500,838,318,897,318,1000,1000,500,838,838,838,519,519,838,838,838,838,838,637,500,838,838];
// biome-ignore format: a table, one font a line
const BOLD = [349,457,521,838,696,1002,873,307,458,458,523,838,380,416,380,366,696,696,696,696,696,696,696,696,696,696,400,400,838,838,838,581,1000,774,763,734,831,684,684,821,837,373,373,775,638,996,837,851,733,851,771,721,683,813,774,1104,771,725,726,458,366,458,838,500,500,675,716,593,716,679,436,716,712,343,343,666,343,1042,712,688,716,716,494,596,479,712,652,924,646,652,583,712,366,712,838,838,500,838,380,897,380,1000,1000,500,838,838,838,658,658,838,838,838,838,838,736,500,838,838];

const index = new Map([...CHARS].map((ch, i) => [ch, i]));
/** A character the table does not hold counts as a full em, wider than any it holds but the widest capitals. */
const UNKNOWN = 1000;

/**
 * The width in px of `text` set at `fontSize` px, in DejaVu Sans (bold when the text is set at weight
 * 600 or more). Kerning is left out: it only ever narrows a line.
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? BOLD : BOOK;
  let thousandths = 0;
  for (const ch of text) {
    const i = index.get(ch);
    thousandths += i === undefined ? UNKNOWN : table[i]!;
  }
  return (thousandths / 1000) * fontSize;
}
