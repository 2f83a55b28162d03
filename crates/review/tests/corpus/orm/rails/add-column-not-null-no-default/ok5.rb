class BackfillActive < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  def up
    User.unscoped.in_batches do |relation|
      relation.update_all(active: true)
      sleep(0.01)
    end
  end

  def down
    add_column :users, :active, :boolean, null: false
  end
end
