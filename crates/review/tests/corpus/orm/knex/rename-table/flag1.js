exports.up = async function (knex) {
  await knex.schema.renameTable('clients', 'customers');
};

exports.down = async function (knex) {
  await knex.schema.renameTable('customers', 'clients');
};
