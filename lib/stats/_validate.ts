/**
 * Input checks shared by the statistics: one wording for every error.
 *
 * The package-wide rule: empty input, unequal lengths and values that are not finite numbers
 * throw a `RangeError` naming the function and the argument; input that is valid but too small
 * or too uniform for a statistic to be defined (one pair, a constant vector, one category)
 * returns `NaN`, and each function's documentation lists when.
 *
 * @module
 */

/**
 * Checks one non-empty vector of finite numbers.
 *
 * @param fn The calling function's name, for the message.
 * @param name The argument's name.
 * @param x The values.
 * @throws {RangeError} When `x` is empty or holds a value that is not a finite number.
 */
export function _checkVector(fn: string, name: string, x: readonly number[]): void {
  if (!Array.isArray(x)) throw new RangeError(`${fn}(): ${name} must be an array of numbers`);
  if (x.length === 0) throw new RangeError(`${fn}(): ${name} is empty`);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`${fn}(): ${name}[${i}] is ${String(v)}, not a finite number`);
    }
  }
}

/**
 * Checks two paired vectors: each non-empty and finite, and of the same length.
 *
 * @param fn The calling function's name, for the message.
 * @param x The first values (named `x` in messages unless `names` says otherwise).
 * @param y The second values.
 * @param names The two arguments' names.
 * @throws {RangeError} When either is empty, the lengths differ, or a value is not finite.
 */
export function _checkPaired(
  fn: string,
  x: readonly number[],
  y: readonly number[],
  names: readonly [string, string] = ["x", "y"],
): void {
  if (Array.isArray(x) && Array.isArray(y) && x.length !== y.length) {
    throw new RangeError(
      `${fn}(): ${names[0]} has ${x.length} values but ${names[1]} has ${y.length}`,
    );
  }
  _checkVector(fn, names[0], x);
  _checkVector(fn, names[1], y);
}

/**
 * Checks an optional scale range and returns the divisor.
 *
 * @param fn The calling function's name, for the message.
 * @param options The options.
 * @returns The range, or 1 when none was given.
 * @throws {RangeError} When `range` is not a positive finite number.
 */
export function _divisor(fn: string, options: { range?: number }): number {
  const range = options.range;
  if (range === undefined) return 1;
  if (typeof range !== "number" || !Number.isFinite(range) || !(range > 0)) {
    throw new RangeError(`${fn}(): options.range must be a positive number, got ${String(range)}`);
  }
  return range;
}

/**
 * Checks the optional `sampleWeights` of a statistic on `n` items.
 *
 * @param fn The calling function's name, for the message.
 * @param weights The weights as given, or undefined.
 * @param n The number of items.
 * @returns The weights, or undefined when none were given (every item weighs 1).
 * @throws {RangeError} When the weights are not `n` finite non-negative numbers with a
 *   positive sum.
 */
export function _checkWeights(
  fn: string,
  weights: readonly number[] | undefined,
  n: number,
): readonly number[] | undefined {
  if (weights === undefined) return undefined;
  if (!Array.isArray(weights) || weights.length !== n) {
    throw new RangeError(`${fn}(): options.sampleWeights must hold one weight per item (${n})`);
  }
  let total = 0;
  weights.forEach((w, i) => {
    if (typeof w !== "number" || !Number.isFinite(w) || w < 0) {
      throw new RangeError(
        `${fn}(): options.sampleWeights[${i}] is ${String(w)}, not a finite number ≥ 0`,
      );
    }
    total += w;
  });
  if (!(total > 0)) throw new RangeError(`${fn}(): options.sampleWeights are all 0`);
  return weights;
}
