/**
 * A column of judgement keys (64 hex characters, a SHA-256) kept as 32 bytes each in one
 * buffer: a run remembers one key per item without a string object per item.
 *
 * @module
 */

const HEX = "0123456789abcdef";
const BYTE_HEX = Array.from({ length: 256 }, (_, b) => HEX[b >> 4]! + HEX[b & 15]!);

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  return -1;
}

/**
 * Writes a 64-hex key as 32 bytes.
 *
 * @param key The key.
 * @param into Where the bytes go.
 * @param at From which byte.
 * @returns Whether the key was 64 lower-case hex characters (if not, `into` is left partly
 *   written).
 */
export function _packHex(key: string, into: Uint8Array, at: number): boolean {
  if (key.length !== 64) return false;
  for (let j = 0; j < 32; j++) {
    const high = nibble(key.charCodeAt(2 * j));
    const low = nibble(key.charCodeAt(2 * j + 1));
    if (high < 0 || low < 0) return false;
    into[at + j] = (high << 4) | low;
  }
  return true;
}

/** Fixed-length storage of SHA-256 hex keys by position. */
export class _KeyColumn {
  readonly #bytes: Uint8Array;

  /**
   * @param length How many keys the column holds.
   */
  constructor(length: number) {
    this.#bytes = new Uint8Array(length * 32);
  }

  /**
   * Stores a key at a position.
   *
   * @param i The position.
   * @param key 64 lower-case hex characters (what `judgementKey()` returns).
   * @throws {Error} For a key that is not 64 lower-case hex characters.
   */
  set(i: number, key: string): void {
    if (!_packHex(key, this.#bytes, i * 32)) {
      throw new Error(`not a 64-hex judgement key: ${JSON.stringify(key)}`);
    }
  }

  /**
   * The key at a position, as 64 hex characters.
   *
   * @param i The position.
   * @returns The key (all zeros where none was set).
   */
  get(i: number): string {
    const at = i * 32;
    let key = "";
    for (let j = 0; j < 32; j++) key += BYTE_HEX[this.#bytes[at + j]!]!;
    return key;
  }
}
