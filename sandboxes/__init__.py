"""Partner-platform simulators (Shopee Open Platform v2 and TikTok Shop Partner API shapes), each its own HTTP
server with its own SQLite file. They never import `marketplace`: the marketplace talks to them over HTTP only."""
