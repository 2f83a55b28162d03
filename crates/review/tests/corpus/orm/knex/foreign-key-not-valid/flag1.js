exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table.foreign('account_id').references('accounts.id');
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
