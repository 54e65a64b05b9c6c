"""Web pieces every blueprint shares (the request's transaction, ...); blueprints import these, never
one another's internals."""
