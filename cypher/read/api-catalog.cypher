// Every product with its properties and how many clients hold it (popularity prior of the stand-in).
MATCH (p:Product)
OPTIONAL MATCH (p)<-[h:HOLDS]-(:Client)
RETURN p {.*} AS product, count(h) AS holders
