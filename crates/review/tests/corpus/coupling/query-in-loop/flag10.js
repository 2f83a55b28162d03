async function hydrate(rows) {
  for (const row of rows) {
    row.owner = await knex("users")
      .where({ id: row.ownerId })
      .first();
  }
}
