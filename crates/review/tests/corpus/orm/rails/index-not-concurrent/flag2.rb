class Change < ActiveRecord::Migration[7.1]
  def change
    add_index(
      :users,
      [:account_id, :email],
      unique: true
    )
  end
end
