"""Server-rendered pages. Thin: every write goes through the same services as the API, every
read through the same permission-scoped selectors, and every button is drawn only when the
access rules allow its action.

One idea per module: `home`, `lists` (the pool, mine and team), `detail` (one customer's
page), `actions` (the ownership actions on it), `customers` (create, edit, add a contact, the
live duplicate check) and `duplicate_rows` (how duplicate-check matches are shown)."""
