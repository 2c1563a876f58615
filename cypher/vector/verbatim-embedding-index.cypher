// Vector index over the verbatims' E5 embeddings (384 dimensions, cosine), for similar-verbatim
// look-ups inside Neo4j. Created by `nbg analyze` once embeddings exist.
CREATE VECTOR INDEX verbatim_embedding IF NOT EXISTS
FOR (v:Verbatim) ON v.embedding
OPTIONS {indexConfig: {`vector.dimensions`: 384, `vector.similarity_function`: 'cosine'}}
