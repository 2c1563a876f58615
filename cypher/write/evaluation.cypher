// One stored policy evaluation (nbg evaluate --store): when, on which dataset and date, with which
// model, and its table as JSON; the API's policyEvaluation returns the latest.
CREATE (e:Evaluation {id: $id})
SET e += $props
RETURN e.id AS id
