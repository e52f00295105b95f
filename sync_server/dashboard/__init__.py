"""The supervisor view: web pages of team activity built from metadata codes alone.

`facts` keeps the read model in step with pushes, `figures` counts (pure), `queries` reads
the database, `auth` handles web passwords and sessions, `web` holds the routes and
`pages`/`charts` render HTML and SVG. Documented in docs/supervisor.md.
"""
