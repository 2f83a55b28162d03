exports.up = function (knex) {
  return knex.schema.createTable('users', (table) => {
    table.integer('account_id').references('id').inTable('accounts');
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
