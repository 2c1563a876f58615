// A batch of clients' precomputed action values (`nbg score`, src/allocate/precomputed): one
// (:ScoreSet) per client and model version, MERGEd on key = clientId|modelVersion so that a re-run
// overwrites instead of adding. Each list holds products × channels cells in the order of the
// model's scoreProducts × scoreChannels (product-major); NaN where the model gives no value. `paths`:
// the explanation paths of the products the client could be served, one compact text
// (src/allocate/precomputed/explanation-paths.ts), null when not computed.
UNWIND $rows AS r
MERGE (s:ScoreSet {key: r.key})
SET s.clientId = r.clientId,
    s.modelVersion = $modelVersion,
    s.asOf = $asOf,
    s.value = r.value,
    s.uplift = r.uplift,
    s.fatigue = r.fatigue,
    s.propensity = r.propensity,
    s.exposureCorrection = r.exposureCorrection,
    s.paths = r.paths
