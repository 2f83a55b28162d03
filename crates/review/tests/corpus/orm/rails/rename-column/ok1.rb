class Change < ActiveRecord::Migration[7.1]
  def change
    # rename_column :users, :name, :full_name
    add_column :users, :full_name, :string
  end
end
