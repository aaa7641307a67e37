/**
 * The weights option the agreement statistics share.
 *
 * @module
 */

/** Options of a statistic that can weigh its items. */
export interface SampleWeightsOptions {
  /**
   * One non-negative weight per item (scikit-learn's `sample_weight`), not all 0; 1 each by
   * default. An integer weight counts the item that many times: the statistic equals the
   * statistic of the items repeated. `agreement()` computes each cluster-bootstrap resample and
   * each leave-one-case-out sample this way, without copying rows.
   */
  sampleWeights?: readonly number[];
}
