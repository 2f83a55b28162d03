exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    /* table.dropColumn('legacy_code'); */
    table.string('note', 'table.dropColumn("x")');
  });
};

exports.down = function (knex) {
  return knex.schema.dropTableIfExists('nothing');
};
