// Every channel with its cost per contact.
MATCH (ch:Channel)
RETURN ch.id AS id, ch.costPerContact AS costPerContact
