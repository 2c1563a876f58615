// The consent decision in force for one client and channel (none: the channel's default applies).
MATCH (:Client {id: $clientId})-[k:CONSENT]->(:Channel {id: $channelId})
RETURN k.status AS status, k.at AS at
