class Change < ActiveRecord::Migration[7.1]
  def change
    drop_table :legacy_reports
  end
end
