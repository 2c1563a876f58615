// Vector index over the clients' FastRP embeddings (128 dimensions, cosine), for similar-client
// look-ups inside Neo4j. Created by `nbg analyze` once embeddings exist.
CREATE VECTOR INDEX client_embedding IF NOT EXISTS
FOR (c:Client) ON c.embedding
OPTIONS {indexConfig: {`vector.dimensions`: 128, `vector.similarity_function`: 'cosine'}}
