class Change < ActiveRecord::Migration[7.1]
  def change
    say %q{rename_column :users, :name, :full_name}
    say <<~TEXT
      rename_column :users, :name, :full_name
    TEXT
  end
end
