class Change < ActiveRecord::Migration[7.1]
  def change
    # disable_ddl_transaction! is not here, but the index is plain
    add_column :users, :email, :string
  end
end
