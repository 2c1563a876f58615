// Every channel with its cost per contact and daily capacity, in id order.
MATCH (ch:Channel)
RETURN ch.id AS id, ch.costPerContact AS costPerContact, ch.dailyCapacity AS dailyCapacity
ORDER BY id
