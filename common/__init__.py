"""Web plumbing both apps use: the API's error shape, conditional requests, pagination, parsers,
renderers and throttles (api/), and admin widgets. It imports neither app nor the project package."""
