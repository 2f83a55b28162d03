export async function up(knex) {
  await knex.schema.createTable('reports', (t) => t.increments());
}

export async function down(knex) {
  await knex.schema.dropTable('reports');
}
