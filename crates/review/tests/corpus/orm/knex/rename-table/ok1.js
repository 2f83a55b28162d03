export async function up(knex) {
  await knex.schema.createTable('customers', (t) => t.increments());
}

export async function down(knex) {
  await knex.schema.renameTable('customers', 'clients');
}
