class Change < ActiveRecord::Migration[7.1]
  def up
    add_column :users, :legacy_code, :string
  end

  def down
    remove_column :users, :legacy_code
  end
end
