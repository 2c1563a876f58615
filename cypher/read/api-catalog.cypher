// Every product with the properties the rules and the value source read, in id order.
MATCH (p:Product)
RETURN p.id AS id, p.family AS family, p.isCredit AS isCredit, p.minAge AS minAge, p.maxAge AS maxAge,
       p.requiredRiskProfile AS requiredRiskProfile, p.unitValue AS unitValue
ORDER BY id
