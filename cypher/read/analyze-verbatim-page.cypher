// One page of verbatims (keyset pagination on the unique id index): the text and the client's score.
MATCH (v:Verbatim)
WHERE v.id > $after
WITH v
ORDER BY v.id
LIMIT $limit
RETURN v.id AS id, v.text AS text, v.score AS score
