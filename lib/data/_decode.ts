/**
 * Strict decoding of a dataset file's bytes as UTF-8, with a reason when it is not UTF-8.
 *
 * A lenient decoder turns every byte it cannot read into U+FFFD, which silently changes the
 * text a judge sees and the keys its judgements are stored under. So bytes that are not UTF-8
 * are a problem with the file, located by byte offset; UTF-16 text and HTML pages (a login or
 * error page saved in place of the data) are named as what they are.
 *
 * @module
 */

/** Why a file's bytes are not UTF-8 text the loader can read. */
export type _DecodeFailure =
  /** A whole-file reason: UTF-16, HTML. */
  | { kind: "file"; message: string }
  /** A byte that is not UTF-8, at `offset` (0-based, in the file as stored). */
  | { kind: "byte"; offset: number; message: string };

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
/** How much of the start of a file is looked at for NUL bytes and HTML. */
const SNIFF = 4096;

/**
 * Decodes a data file's bytes as UTF-8, strictly: a UTF-8 byte-order mark is dropped; UTF-16
 * (a byte-order mark FF FE or FE FF, or many NUL bytes), an HTML page, or any byte that is not
 * UTF-8 is a failure with a reason.
 *
 * @param bytes The file's bytes.
 * @returns The text, or why there is none.
 */
export function _decodeUtf8(bytes: Uint8Array): { text: string } | _DecodeFailure {
  const utf16 = _utf16Reason(bytes);
  if (utf16 !== undefined) return { kind: "file", message: utf16 };
  const bom = bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
  const body = bom ? bytes.subarray(3) : bytes;
  if (_looksLikeHtml(body)) {
    return {
      kind: "file",
      message: "this is an HTML page, not data (a login or error page saved in place of the " +
        "dataset? download the data file itself)",
    };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body) };
  } catch {
    const offset = _firstBadByte(bytes, bom ? 3 : 0);
    return { kind: "byte", offset, message: _badByteMessage(bytes, offset) };
  }
}

/** Why the bytes look like UTF-16, or undefined. */
function _utf16Reason(bytes: Uint8Array): string | undefined {
  const save = "; save it as UTF-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return `the file is UTF-16 (little-endian: it starts with the byte-order mark FF FE)${save}`;
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return `the file is UTF-16 (big-endian: it starts with the byte-order mark FE FF)${save}`;
  }
  const head = bytes.subarray(0, SNIFF);
  let nul = 0;
  for (const b of head) if (b === 0) nul++;
  // UTF-16 text in the Latin range is half NUL bytes; real UTF-8 data has none.
  if (head.length >= 2 && nul >= head.length / 4) {
    return `the file looks like UTF-16 (${nul} of its first ${head.length} bytes are NUL)${save}`;
  }
  return undefined;
}

/** Whether the text starts, after white space, with `<!DOCTYPE html` or `<html`. */
export function _looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder("utf-8").decode(bytes.subarray(0, 256)).trimStart().toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html");
}

/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF); for a sequence cut short, the
 * offset of its first byte.
 */
function _firstBadByte(bytes: Uint8Array, from: number): number {
  let i = from;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // The length of the sequence, and the range its second byte must fall in.
    let length: number, low = 0x80, high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i; // Cut short at the end of the file.
      if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** What is wrong at `offset`, with the likely cause. */
function _badByteMessage(bytes: Uint8Array, offset: number): string {
  const hex = (b: number) => b.toString(16).toUpperCase().padStart(2, "0");
  const shown = [...bytes.subarray(offset, offset + 4)].map(hex).join(" ");
  const b = bytes[offset]!;
  const lead = b >= 0xc2 && b <= 0xf4;
  let sequenceEnd = offset + 1;
  while (sequenceEnd < bytes.length && (bytes[sequenceEnd]! & 0xc0) === 0x80) sequenceEnd++;
  if (lead && sequenceEnd >= bytes.length) {
    return `not valid UTF-8: the file ends inside a character at byte offset ${offset} ` +
      `(bytes ${shown}); the file looks truncated`;
  }
  return `not valid UTF-8: byte 0x${hex(b)} at byte offset ${offset} (bytes ${shown}); the ` +
    "file is probably in another encoding (Latin-1 or Windows-1252?): save it as UTF-8";
}
