// Journey events by time: recent intent signals.
CREATE INDEX event_at IF NOT EXISTS FOR (n:Event) ON (n.at)
