// Which of the given solicitations and recommendation decisions are in the graph (bench/api's
// outage check: every mutation answered as done must be found here).
CALL () {
  UNWIND $solicitationIds AS id
  MATCH (s:Solicitation {id: id})
  RETURN collect(s.id) AS solicitations
}
CALL () {
  UNWIND $decisions AS d
  MATCH (r:Recommendation {id: d.id})
  WHERE r.decision = d.decision
  RETURN collect(r.id) AS decided
}
RETURN solicitations, decided
