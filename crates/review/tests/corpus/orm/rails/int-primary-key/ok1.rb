class Change < ActiveRecord::Migration[7.1]
  def change
    create_table :events, id: :bigint do |t|
      t.integer :count
    end
  end
end
