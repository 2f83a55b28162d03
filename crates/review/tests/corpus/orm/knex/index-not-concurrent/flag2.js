exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table.string('ref').unique();
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
