// Solicitations by date: contact pressure and cooldown look-ups, the evaluation round.
CREATE INDEX solicitation_sent_at IF NOT EXISTS FOR (n:Solicitation) ON (n.sentAt)
