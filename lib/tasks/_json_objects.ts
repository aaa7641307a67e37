/**
 * Finding the JSON objects in a judge's free-text reply, in time linear in its length.
 *
 * @module
 */

/** A JSON object found in a text, with the text it was read from. */
export interface FoundObject {
  value: Record<string, unknown>;
  text: string;
}

const OPEN = 0x7b, CLOSE = 0x7d, QUOTE = 0x22, BACKSLASH = 0x5c;

/**
 * The outermost brace-balanced spans of a text that parse as JSON objects, in order.
 *
 * One pass with a stack of open braces (quotes are tracked only inside braces, so prose
 * apostrophes and quotation marks outside do not matter) collects every balanced pair; only
 * the outermost ones are kept, and each is parsed once. They do not overlap, so the whole is
 * linear in the text's length — a reply of 40,000 `{` costs one pass, not 40,000. An outermost
 * span that is not JSON is skipped whole: the objects inside it are not looked for, so such a
 * reply fails rather than yielding a guess.
 *
 * @param text The reply.
 * @returns The objects found.
 */
export function jsonObjects(text: string): FoundObject[] {
  const opens: number[] = [];
  /** Outermost balanced spans so far, as [start, end), in order. */
  const spans: [number, number][] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === BACKSLASH) i++;
      else if (ch === QUOTE) inString = false;
    } else if (ch === QUOTE) inString = opens.length > 0;
    else if (ch === OPEN) opens.push(i);
    else if (ch === CLOSE && opens.length > 0) {
      const start = opens.pop()!;
      // Spans that started after this one are inside it.
      while (spans.length > 0 && spans[spans.length - 1]![0] > start) spans.pop();
      spans.push([start, i + 1]);
    }
  }
  const found: FoundObject[] = [];
  for (const [start, end] of spans) {
    const slice = text.slice(start, end);
    try {
      const value = JSON.parse(slice);
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        found.push({ value, text: slice });
      }
    } catch {
      // Braces in prose, not JSON.
    }
  }
  return found;
}

/**
 * Whether an object found in a reply comes from the fenced data rather than from the judge:
 * its text appears in a field (spacing aside), or every one of its keys has the same value in
 * an object a field holds (a quote, reformatted or cut short).
 *
 * @param found The object and its text.
 * @param fenced The texts the prompt fenced as data.
 * @returns Whether it was quoted from them.
 */
export function quotedFromData(found: FoundObject, fenced: readonly DataText[]): boolean {
  const bare = found.text.replace(/\s+/g, "");
  return fenced.some((data) =>
    data.bare.includes(bare) || data.objects.some((object) => isSubset(found.value, object))
  );
}

/** A fenced text, prepared for {@linkcode quotedFromData}. */
export interface DataText {
  /** The text without whitespace. */
  bare: string;
  /** The JSON objects it holds. */
  objects: Record<string, unknown>[];
}

/**
 * Prepares the fenced texts once per reply.
 *
 * @param fenced The texts the prompt fenced as data.
 * @returns Them, ready for {@linkcode quotedFromData}.
 */
export function dataTexts(fenced: Iterable<string | undefined>): DataText[] {
  const out: DataText[] = [];
  for (const text of fenced) {
    if (!text) continue;
    out.push({ bare: text.replace(/\s+/g, ""), objects: jsonObjects(text).map((f) => f.value) });
  }
  return out;
}

function isSubset(part: Record<string, unknown>, whole: Record<string, unknown>): boolean {
  const keys = Object.keys(part);
  return keys.length > 0 &&
    keys.every((k) => k in whole && canonical(part[k]) === canonical(whole[k]));
}

/** JSON with object keys sorted, so that key order does not tell two values apart. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
