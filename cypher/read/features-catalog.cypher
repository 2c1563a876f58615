// Products and channels as the feature builder needs them (limits, margin, contact cost).
RETURN COLLECT {
         MATCH (p:Product)
         RETURN [p.id, p.unitValue, p.minAge, p.maxAge, p.requiredRiskProfile]
       } AS products,
       COLLECT {
         MATCH (ch:Channel)
         RETURN [ch.id, ch.costPerContact]
       } AS channels
